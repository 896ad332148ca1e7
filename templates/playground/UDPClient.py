# UDPClient.py, the textbook uppercase client in Python 3.
# Usage: python3 UDPClient.py [serverName] [serverPort]   (then type a lowercase sentence)
import sys
from socket import *

serverName = sys.argv[1] if len(sys.argv) > 1 else 'localhost'
serverPort = int(sys.argv[2]) if len(sys.argv) > 2 else 12000
clientSocket = socket(AF_INET6 if ':' in serverName else AF_INET, SOCK_DGRAM)
clientSocket.settimeout(5)  # UDP may lose the reply: do not wait forever
message = input('Input lowercase sentence:')
clientSocket.sendto(message.encode(), (serverName, serverPort))
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
print(modifiedMessage.decode())
clientSocket.close()
